exports.handler = (context, event, callback) => { for (let i = 0; i < 300; i++) console.log('x'.repeat(20000)); callback(null, 'done'); };
