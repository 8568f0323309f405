/**
 * JSON text as UTF-8 bytes, the way SQLite holds it: what a repository hands back when the
 * engine writes a response's JSON itself (the order lists, the order detail, the unread
 * numbers). A response sends bytes, so the same text read as a JavaScript string would be
 * decoded from UTF-8 only to be encoded again on the way out, a cost per request that
 * grows with the answer.
 */
export type JsonBytes = Buffer;
