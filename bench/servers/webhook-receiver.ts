import { createServer } from 'node:http';

// A webhook endpoint that answers 200 to every post and counts them; GET /count says how many came.
let received = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received }));
    return;
  }
  request.resume();
  request.on('end', () => {
    received += 1;
    response.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`webhook receiver listening on http://127.0.0.1:${String(port)}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
