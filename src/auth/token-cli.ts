// `npm run token -- <userID> [--staff] [--expires 7d]`: a development token signed with AUTH_SECRET.
import 'dotenv/config';
import { loadConfigOrExit } from '../config';
import { ID_RE } from '../http/validate';
import { signToken } from './token';

const args = process.argv.slice(2);
const userID = args.find((a) => !a.startsWith('--'));
if (!userID || !ID_RE.test(userID)) {
  process.stderr.write('usage: npm run token -- <24-hex userID> [--staff] [--expires 7d]\n');
  process.exit(2);
}
const cfg = loadConfigOrExit();
const expIdx = args.indexOf('--expires');
const expiresIn = expIdx >= 0 ? args[expIdx + 1] : undefined;
process.stdout.write(signToken(cfg.AUTH_SECRET, userID.toLowerCase(), { staff: args.includes('--staff'), expiresIn }) + '\n');
