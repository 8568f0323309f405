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

export interface UsersRepo {
  upsert(profile: UserProfile): Promise<void>;
  get(userID: string): Promise<UserProfile | null>;
  getMany(userIDs: string[]): Promise<UserProfile[]>;
  /** The listed fields of these profiles only (list embeds). */
  getBriefs(userIDs: string[]): Promise<ProfileBrief[]>;
}
