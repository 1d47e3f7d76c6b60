exports.handler = (context, event, callback) => { /* never calls back */ };
