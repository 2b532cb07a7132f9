// Raw POST rate of the receiver: keep-alive http.request at a fixed concurrency. Prints JSON.
import http from 'node:http';

const [url, countText, concurrencyText] = process.argv.slice(2);
const count = Number(countText);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrencyText) });
const body = JSON.stringify({ id: 'raw', type: 'booking.updated', data: { padding: 'x'.repeat(200) } });
let next = 0;

function post(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'webhook-id': `raw_${next}` } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(concurrencyText) }, async () => { while (next < count) { next++; await post(); } }));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ count, seconds, perSecond: count / seconds })}\n`);
  agent.destroy();
}

void main();
