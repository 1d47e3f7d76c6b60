const axios = require('axios'); exports.handler = async (context, event, callback) => { const r = await axios.get('https://api.example.com/data'); callback(null, r.data); };
