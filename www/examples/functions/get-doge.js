// The dog breed Function of Twilio's "Use the Run Function widget"
// quickstart, answering from a small built-in list instead of the
// public Dog API, so the example works offline. The pictures are data:
// URLs (drawn SVG), so the chat shows them without the network.

// A simple drawing of a dog in the breed's colours.
function picture(coat, ears, label) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="180" viewBox="0 0 240 180">
<rect width="240" height="180" rx="16" fill="#eef3fb"/>
<ellipse cx="120" cy="150" rx="70" ry="14" fill="#d9e2f0"/>
<ellipse cx="78" cy="62" rx="18" ry="34" fill="${ears}" transform="rotate(20 78 62)"/>
<ellipse cx="162" cy="62" rx="18" ry="34" fill="${ears}" transform="rotate(-20 162 62)"/>
<circle cx="120" cy="86" r="50" fill="${coat}"/>
<ellipse cx="120" cy="108" rx="26" ry="18" fill="#fff" opacity=".55"/>
<circle cx="102" cy="78" r="6" fill="#1d2330"/><circle cx="138" cy="78" r="6" fill="#1d2330"/>
<ellipse cx="120" cy="100" rx="9" ry="6" fill="#1d2330"/>
<text x="120" y="172" font-family="sans-serif" font-size="14" text-anchor="middle" fill="#1d2330">${label}</text>
</svg>`;
  return 'data:image/svg+xml,' + encodeURIComponent(svg);
}

// Breed (as the Dog API names it: "breed" or "breed/sub-breed") → a
// picture.
const DOGS = {
  'retriever/golden': picture('#e0a64b', '#c98a2e', 'golden retriever'),
  'labrador': picture('#e9cf8f', '#d8b86c', 'labrador'),
  'poodle': picture('#f4efe6', '#e4dccd', 'poodle'),
  'husky': picture('#9aa5b4', '#5d6878', 'husky'),
  'beagle': picture('#c8843f', '#6b4423', 'beagle'),
  'pug': picture('#d9c2a0', '#3a2f28', 'pug'),
  'corgi': picture('#e39a4f', '#c7772d', 'corgi'),
  'dalmatian': picture('#ffffff', '#2b2b2b', 'dalmatian'),
};

exports.handler = async (context, event, callback) => {
  // Any parameters provided to the Function will be accessible from
  // `event`. To minimize the potential for errors, lowercase and trim
  // the user input.
  let dogBreed = String(event.breed || '').toLowerCase().trim();

  // Sub-breeds: "Golden Retriever" is "retriever/golden".
  if (dogBreed.includes(' ')) {
    const [subBreed, breed] = dogBreed.split(' ');
    dogBreed = `${breed}/${subBreed}`;
  }

  const url = DOGS[dogBreed];
  if (url) {
    return callback(null, {
      text: `Here's an image of a ${event.breed}! 🐶`,
      url,
    });
  }
  // The Dog API answers 404 for an unknown breed; the quickstart tells
  // the contact so.
  console.log(`No picture of "${dogBreed}"; known breeds: ${Object.keys(DOGS).join(', ')}`);
  return callback(null, {
    text: `Sorry, we couldn't find any ${event.breed}s 🥲`,
  });
};
