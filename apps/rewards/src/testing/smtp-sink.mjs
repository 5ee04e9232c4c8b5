// A real SMTP server (the smtp-server package) in its own process, for the e-mail tests: it listens
// on a free loopback port, takes every message, and hands each to its parent over IPC.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      process.send({ kind: 'message', from: session.envelope.mailFrom?.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ kind: 'listening', port: server.server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
