// POSTs that only read (searches, bulk fetches). Every other request that is not a GET changes
// something: the one definition behind "zero writes" in the demo, the e2e tests and the bench.
const READ_ONLY_POSTS = [
  /\/search\/jql$/,
  /\/issue\/bulkfetch$/,
  /\/v2\/entities\/search$/,
  /\/v2\/notes\/search$/,
  /\/connections\/search$/,
];

/** `route` is "METHOD /path/template", as in the sandbox's request log and the HTTP policy's stats. */
export function isWriteRoute(route: string): boolean {
  const [method, path = ''] = route.split(' ');
  return method !== 'GET' && !READ_ONLY_POSTS.some((re) => re.test(path));
}
