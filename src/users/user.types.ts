export interface UserProfile {
  userID: string;
  nick: string;
  name: string;
  avatar: string;
  title: string;
  /** phone number the call provider rings; never returned to other users */
  phone: string;
  updatedAt: Date;
}

/** What lists embed of a profile: never the phone. */
export type ProfileBrief = Pick<UserProfile, 'userID' | 'nick' | 'name' | 'avatar' | 'title'>;
