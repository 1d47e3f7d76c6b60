// The random number generator of Twilio's Run Function documentation:
// picks a whole number between event.min and event.max (both
// included), which the Run Function widget sends as parameters. Studio
// parses the JSON answer into widgets.get_num.parsed.number.
exports.handler = function(context, event, callback) {
  const min = Math.ceil(event.min);
  const max = Math.floor(event.max);
  const randomNum = Math.floor(Math.random() * (max - min + 1)) + min;

  return callback(null, { number: randomNum });
};
