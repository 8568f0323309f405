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

export interface UsersRepo {
  upsert(profile: UserProfile): Promise<void>;
  get(userID: string): Promise<UserProfile | null>;
  getMany(userIDs: string[]): Promise<UserProfile[]>;
}
