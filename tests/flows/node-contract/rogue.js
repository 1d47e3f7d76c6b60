exports.handler = (context, event, callback) => { self.postMessage({ not: 'text' }); };
