// One project Function call on a worker, the same on every platform: the call ends with the
// runtime's outcome message, a crash, a message over the size limit or the time limit, and then
// its worker is stopped. `start(events)` starts the platform's worker, wires its events to
// `events.message(data)` and `events.crash(why)`, and returns how to stop it; `startFailure(e)`
// words an error thrown while starting.

export function callOnWorker(request, handle, { max, start, startFailure }) {
  return new Promise((resolve) => {
    let done = false;
    let stop = null;
    let timer = null;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (stop) stop();
      handle.functionDone();
      resolve();
    };
    const events = {
      message(data) {
        if (done) return;
        if (typeof data !== 'string') {
          handle.functionCrash('the Function posted a message that is not text (with self.postMessage); the sandbox stopped it');
          finish();
        } else if (data.length > max) {
          handle.functionTooLarge(data.length);
          finish();
        } else if (handle.functionMessage(data)) {
          finish();
        }
      },
      crash(why) {
        if (done) return;
        handle.functionCrash(why);
        finish();
      },
    };
    try {
      stop = start(events);
    } catch (e) {
      handle.functionCrash(startFailure(e));
      finish();
      return;
    }
    timer = setTimeout(() => {
      if (done) return;
      handle.functionTimeout();
      finish();
    }, request.timeoutMs);
  });
}
