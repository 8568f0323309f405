import type { TopicsRepo } from '../topics/topics.repo';
import type { UsersRepo } from '../users/users.repo';

const toMap = <T, K extends keyof T>(rows: T[], key: K) => new Map(rows.map((r) => [r[key] as unknown as string, r]));

/** Where lists read what they embed: the listed fields of topics and profiles. */
export interface BriefSources {
  topics: Pick<TopicsRepo, 'getBriefs'>;
  users: Pick<UsersRepo, 'getBriefs'>;
}

/** Loads what a list embeds of topics and users (their listed fields), in two batched reads instead of one per row. */
export async function embeds(from: BriefSources, topicIds: string[], userIds: string[]) {
  const [topics, users] = await Promise.all([from.topics.getBriefs([...new Set(topicIds)]), from.users.getBriefs([...new Set(userIds)])]);
  return [toMap(topics, 'topic_id'), toMap(users, 'userID')] as const;
}
