// Profiles: each user writes its own; others read what lists show of it, never the phone.
import type { Identity } from '../auth/token';
import type { Store } from '../db/store';
import { notFound } from '../errors';
import type { UserProfile } from './user.types';

/** A profile as its owner sends it: fields left out keep their stored value. */
type ProfileInput = Pick<UserProfile, 'nick'> & Partial<Pick<UserProfile, 'name' | 'avatar' | 'title' | 'phone'>>;

export class UsersService {
  constructor(
    private store: Pick<Store, 'users'>,
    private now: () => Date = () => new Date(),
  ) {}

  /** Creates or updates the caller's own profile. */
  async saveProfile(actor: Identity, input: ProfileInput): Promise<void> {
    const existing = await this.store.users.get(actor.userID);
    await this.store.users.upsert({
      userID: actor.userID,
      nick: input.nick,
      name: input.name ?? existing?.name ?? '',
      avatar: input.avatar ?? existing?.avatar ?? '',
      title: input.title ?? existing?.title ?? '',
      phone: input.phone ?? existing?.phone ?? '',
      updatedAt: this.now(),
    });
  }

  /** The profile (904 when missing). */
  async mustGet(userID: string): Promise<UserProfile> {
    const profile = await this.store.users.get(userID);
    if (!profile) throw notFound('userID: no such user');
    return profile;
  }
}
