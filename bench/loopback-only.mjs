// Preloaded into the peer gateway process (`node --import ./bench/loopback-only.mjs …`): every
// server it starts listens on 127.0.0.1, whatever address it asks for, so the benchmark never
// opens a port beyond this machine.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'object' && args[0] !== null) args[0] = { ...args[0], host: '127.0.0.1' };
  else if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const rest = args.slice(1).filter((a) => typeof a === 'function');
    return listen.call(this, Number(args[0]), '127.0.0.1', ...rest);
  }
  return listen.apply(this, args);
};
