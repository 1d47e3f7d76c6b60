exports.handler = (context, event, callback) => { console.log('hi', event.who); callback(null, `Hello ${event.who} from ${context.DOMAIN_NAME} with ${context.GREETING}`); };
