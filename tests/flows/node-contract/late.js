exports.handler = (context, event, callback) => { setTimeout(() => { throw new Error('late'); }, 5); };
