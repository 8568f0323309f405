import test from 'ava';
import { useApp } from '../helpers/app';

const t0 = useApp(test);

/** The URLs an HTML page loads or links: src= and href= attributes. */
const referencesOf = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);

test('GET /docs is an HTML reference whose every file comes from this server', async (t) => {
  const page = await fetch(`${t0.url}/docs`);
  t.is(page.status, 200);
  t.regex(page.headers.get('content-type') ?? '', /^text\/html/);
  // The browser itself refuses anything from another host.
  t.regex(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  const html = await page.text();
  t.notRegex(html, /\/\/[a-z0-9.-]+\.[a-z]{2,}/i, 'no URL of another host in the page');
  const refs = referencesOf(html);
  t.true(refs.includes('/docs/swagger-ui-bundle.js') && refs.includes('/openapi.json'), refs.join(' '));
  for (const ref of refs) {
    t.true(ref.startsWith('/'), `${ref} is a path on this server`);
    const res = await fetch(t0.url + ref);
    t.is(res.status, 200, ref);
    const body = await res.text();
    t.true(body.length > 0, ref);
    // Stylesheets load their fonts and images through url(); none may leave this server.
    if (ref.endsWith('.css')) t.deepEqual([...body.matchAll(/url\(\s*["']?(https?:)?\/\//g)].map((m) => m[0]), [], `${ref} loads nothing from another host`);
  }
  // The page's own script points Swagger UI at this server's document, with no online validator.
  const init = await (await fetch(`${t0.url}/docs/init.js`)).text();
  t.regex(init, /url: '\/openapi\.json'/);
  t.regex(init, /validatorUrl: null/);
});

test('/docs/:file serves only the reference files it names', async (t) => {
  for (const file of ['package.json', '..%2Fpackage.json', 'index.html', 'swagger-initializer.js']) {
    const res = await fetch(`${t0.url}/docs/${file}`);
    t.is(res.status, 404, file);
    await res.arrayBuffer();
  }
});
