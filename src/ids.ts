import { ObjectId } from 'mongodb';

/** New 24-hex id; ObjectIds sort by creation time, which lists rely on as a tie-breaker. */
export const newId = (): string => new ObjectId().toHexString();
