// The admin API (`{data}` / `{error: {code, message}}`) and the REST API (`{code, msg}`),
// called with the signed-in staff token. A refusal throws ApiError carrying the server's
// own message, which the page shows as it is.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let token = '';
let onUnauthorized: (message: string) => void = () => {};

export function useToken(t: string, unauthorized: (message: string) => void) {
  token = t;
  onUnauthorized = unauthorized;
}

async function call(method: string, url: string, body: unknown, t = token): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { auth: t };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, '无法连接服务器，请检查网络后重试');
  }
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

/** `/v1/admin` + path; resolves to `data`. */
export async function admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const { status, json } = await call(method, `/v1/admin${path}`, body);
  if (status >= 200 && status < 300) return json?.data as T;
  const message = json?.error?.message ?? `HTTP ${status}`;
  if (status === 401) onUnauthorized('登录已失效，请重新登录');
  throw new ApiError(status, message);
}

/** `/rest` + path; resolves to the whole `{code: 900, ...}` answer. */
export async function rest<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const { status, json } = await call(method, `/rest${path}`, body);
  if (json?.code === 900) return json as T;
  if (status === 401) onUnauthorized('登录已失效，请重新登录');
  throw new ApiError(status, json?.msg ?? `HTTP ${status}`);
}

/** Asks the server whether `t` is a live staff token, without signing in with it. */
export async function checkStaffToken(t: string): Promise<void> {
  const { status, json } = await call('GET', '/v1/admin/orders?limit=1', undefined, t);
  if (status === 200) return;
  if (status === 401) throw new ApiError(401, '令牌无效或已过期，请重新获取');
  if (status === 403) throw new ApiError(403, '该令牌不是客服令牌，不能登录客服工作台');
  throw new ApiError(status, json?.error?.message ?? `服务器暂时无法验证令牌（HTTP ${status}）`);
}
