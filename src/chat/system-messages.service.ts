// The system-message definitions (docs/system-messages.md): admin CRUD and the texts each side sees.
// Texts are read from the store on every use (the table is small and indexed by key), so an
// edit made through any node shows on every node at once.
import { SYSTEM_MESSAGES, type SystemTexts } from '../../config/system-messages';
import { duplicate, notFound } from '../errors';
import { newId } from '../ids';
import type { EventKey } from '../orders/order.events';
import type { DefFields, DefWrite, SystemMessageDef, SystemMessagesRepo } from './system-messages.repo';
import type { Viewer } from './chat.types';

export type TextsByKey = Map<string, SystemTexts>;

export class SystemMessagesService {
  constructor(
    private repo: SystemMessagesRepo,
    private now: () => Date = () => new Date(),
  ) {}

  /** Stores the built-in definition of every key that has never been defined; returns how many. */
  async ensureDefaults(): Promise<number> {
    let n = 0;
    const t = this.now().getTime();
    for (const [key, texts] of Object.entries(SYSTEM_MESSAGES)) {
      if (await this.repo.insertIfKeyAbsent({ id: newId(), key, ...texts, ctime: t, utime: t, dtime: 0 })) n++;
    }
    return n;
  }

  /** Each key's texts: the live definition, else the built-in one, else the key itself. */
  async textsFor(keys: string[]): Promise<TextsByKey> {
    const unique = [...new Set(keys)];
    const out: TextsByKey = new Map();
    for (const key of unique) out.set(key, SYSTEM_MESSAGES[key as EventKey] ?? { buyer: key, seller: key, admin: key });
    for (const d of await this.repo.listLive(unique)) out.set(d.key, { buyer: d.buyer, seller: d.seller, admin: d.admin });
    return out;
  }

  /** The built-in texts of every key this server posts: what a deleted definition falls back to. */
  builtin(): ({ key: string } & SystemTexts)[] {
    return Object.entries(SYSTEM_MESSAGES).map(([key, texts]) => ({ key, ...texts }));
  }

  list(skip: number, limit: number) {
    return this.repo.list(skip, limit);
  }

  async get(id: string): Promise<SystemMessageDef> {
    const d = await this.repo.get(id);
    if (!d) throw notFound('id: no such system message');
    return d;
  }

  async create(fields: DefFields): Promise<SystemMessageDef> {
    const t = this.now().getTime();
    return this.unwrap(await this.repo.create({ id: newId(), ...fields, ctime: t, utime: t, dtime: 0 }), fields.key);
  }

  async update(id: string, fields: Partial<DefFields>): Promise<SystemMessageDef> {
    return this.unwrap(await this.repo.update(id, fields, this.now().getTime()), fields.key);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.softDelete(id, this.now().getTime()))) throw notFound('id: no such system message');
  }

  private unwrap(w: DefWrite, key: string | undefined): SystemMessageDef {
    if (w.ok) return w.def;
    if (w.reason === 'duplicate') throw duplicate(`key: a system message for ${key} already exists`);
    throw notFound('id: no such system message');
  }
}

export function textFor(texts: TextsByKey, key: string, viewer: Viewer): string {
  return texts.get(key)?.[viewer] ?? key;
}
