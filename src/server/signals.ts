/**
 * SIGTERM (what Kubernetes sends) and SIGINT (what vault-k8s trapped): stop accepting, finish the
 * requests in flight, exit 0. A second signal while draining exits at once with status 1.
 */
import type { Logger } from '../logger.ts';

export function installSignalHandlers(close: () => Promise<void>, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) {
      logger.warn({ signal }, 'second signal while draining; exiting now');
      exit(1);
      return;
    }
    draining = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    close().then(
      () => exit(0),
      () => {
        logger.error({ signal }, 'shutdown did not complete cleanly');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
