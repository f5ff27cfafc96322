// What the data layer uses of undici (its proxy-aware agent, with `dispatcher.request`), bundled without
// fetch, WebSocket, the cache or the mocks: dist/undici.js stays small.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = {
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent'),
};
