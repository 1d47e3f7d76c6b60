exports.handler = (context, event, callback) => { process.stdout.write('garbage\n'); console.info('info'); callback(null, 'clean'); };
