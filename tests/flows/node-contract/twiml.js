exports.handler = (context, event, callback) => { const t = new Twilio.twiml.MessagingResponse(); t.message('Hi & bye'); callback(null, t); };
