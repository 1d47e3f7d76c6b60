// A service that is down for a while: the first two attempts fail (an
// Error is an HTTP 500, so the Run Function widget follows "fail"),
// the third one succeeds. The retry counter flow sends the attempt
// number as the `attempt` parameter.
exports.handler = function (context, event, callback) {
  const attempt = Number(event.attempt);
  const succeedsAt = Number(context.SUCCEEDS_AT || 3);
  if (!(attempt >= succeedsAt)) {
    console.warn(`attempt ${event.attempt}: the service is still down`);
    return callback(new Error(`Service unavailable (attempt ${event.attempt})`));
  }
  console.log(`attempt ${attempt}: order placed`);
  return callback(null, `order placed on attempt ${attempt}`);
};
