import type { ProfileBrief, UserProfile } from './user.types';

export interface UsersRepo {
  upsert(profile: UserProfile): Promise<void>;
  get(userID: string): Promise<UserProfile | null>;
  /** The listed fields of these profiles only (list embeds). */
  getBriefs(userIDs: string[]): Promise<ProfileBrief[]>;
}
