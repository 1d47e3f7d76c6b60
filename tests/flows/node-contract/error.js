exports.handler = (context, event, callback) => { callback(new Error('nope')); };
