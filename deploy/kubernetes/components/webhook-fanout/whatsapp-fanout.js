// Webhook fan-out for a sharded whatsapp-business-exporter: nginx's JavaScript (njs) module.
//
// Meta delivers an app's webhooks to one URL; every shard must see every POST, and counts the events
// it owns (docs/sharding-and-budget.md, "Webhooks with shards"). nginx's `mirror` copies requests
// but ignores the copies' answers: a shard that is down loses what it owns while Meta is told 200.
// This handler forwards the raw body and X-Hub-Signature-256 unchanged to every shard at once and
// answers 200 only when every shard answered 2xx; otherwise 502, so Meta redelivers later. The
// shards that took the first delivery drop the redelivery (their state DB de-duplicates), so
// nothing is lost and nothing is counted twice (test/webhooks/nginx-fanout.test.ts, real nginx).
//
// The shards, from the environment (declare it with `env` in nginx.conf's main context):
//   WHATSAPP_SHARDS="http://exporter-1:9914 http://exporter-2:9914"   a list, or
//   WHATSAPP_SHARD_URL="http://wbe-{ordinal}.wbe-headless.ns.svc.cluster.local:9914" with
//   WHATSAPP_EXPORTER_SHARD=auto/N: ordinals 0..N-1, the StatefulSet's pods (deploy/kubernetes).
// Host names need nginx's `resolver` directive (ngx.fetch does not use /etc/hosts or resolv.conf).
// Written for njs 0.7 (Debian 12's libnginx-mod-http-js), which the official nginx image also meets.

function shards() {
  var list = (process.env.WHATSAPP_SHARDS || '').split(/[\s,]+/).filter(function (s) {
    return s !== '';
  });
  if (list.length > 0) return list;
  var m = /^\s*auto\s*\/\s*(\d+)\s*$/.exec(process.env.WHATSAPP_EXPORTER_SHARD || '');
  var template = process.env.WHATSAPP_SHARD_URL || '';
  if (!m || template.indexOf('{ordinal}') < 0) return [];
  var out = [];
  for (var i = 0; i < Number(m[1]); i++) out.push(template.split('{ordinal}').join(String(i)));
  return out;
}

var SHARDS = shards();

/** One shard's answer: its status, or 0 when it could not be reached. */
function deliver(url, r, body) {
  var headers = { 'Content-Type': r.headersIn['Content-Type'] || 'application/json' };
  var signature = r.headersIn['X-Hub-Signature-256'];
  if (signature !== undefined) headers['X-Hub-Signature-256'] = signature;
  return ngx.fetch(url + r.uri, { method: 'POST', body: body, headers: headers }).then(
    function (reply) {
      return reply.text().then(function () {
        return { url: url, status: reply.status };
      });
    },
    function (err) {
      return { url: url, status: 0, error: String(err) };
    },
  );
}

/** GET is Meta's verification handshake: every shard has the same verify token, so one answers. */
function handshake(r) {
  var query = r.variables.args ? '?' + r.variables.args : '';
  return ngx.fetch(SHARDS[0] + r.uri + query).then(
    function (reply) {
      return reply.text().then(function (text) {
        r.return(reply.status, text);
      });
    },
    function (err) {
      r.error('whatsapp fan-out: handshake to ' + SHARDS[0] + ' failed: ' + err);
      r.return(502, 'shard unreachable\n');
    },
  );
}

function fanout(r) {
  if (SHARDS.length === 0) {
    r.error('whatsapp fan-out: no shards (set WHATSAPP_SHARDS, or WHATSAPP_SHARD_URL and WHATSAPP_EXPORTER_SHARD)');
    return r.return(500, 'no shards configured\n');
  }
  if (r.method === 'GET') return handshake(r);
  if (r.method !== 'POST') return r.return(405, 'method not allowed\n');
  // In memory only when client_body_buffer_size >= client_max_body_size (whatsapp-webhooks.conf).
  var body = r.requestText;
  if (body === undefined) return r.return(500, 'request body not buffered in memory\n');
  return Promise.all(
    SHARDS.map(function (url) {
      return deliver(url, r, body);
    }),
  ).then(function (answers) {
    var failed = answers.filter(function (a) {
      return a.status < 200 || a.status > 299;
    });
    if (failed.length === 0) return r.return(200, 'ok\n');
    var statuses = answers.map(function (a) {
      return a.status;
    });
    // The same refusal from every shard (a bad signature: 401) is the sender's problem: pass it on.
    if (failed.length === answers.length && statuses.every(function (s) {
        return s === statuses[0] && s >= 400 && s < 500;
      }))
      return r.return(statuses[0], 'refused by every shard\n');
    r.warn(
      'whatsapp fan-out: not every shard took the delivery, answering 502 so Meta redelivers: ' +
        failed
          .map(function (a) {
            return a.url + ' ' + (a.status || a.error);
          })
          .join(', '),
    );
    return r.return(502, 'not every shard took it; redeliver\n');
  });
}

export default { fanout };
