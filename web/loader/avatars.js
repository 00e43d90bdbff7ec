// Authors' pictures, fetched and scaled by the browser for the widget's textures.

// An author's picture (a WordPress site's avatars), `px` device pixels square: its
// centre square scaled by the browser, as RGBA (straight alpha); null when it
// cannot be had. Fetched like an <img> with referrerpolicy="no-referrer", without
// cookies; the site must allow CORS for it (Gravatar does).
export async function avatarPixels(url, px) {
  try {
    if (!/^https?:/i.test(url)) return null;
    const response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!response.ok) return null;
    const bitmap = await createImageBitmap(await response.blob());
    const side = Math.min(bitmap.width, bitmap.height);
    const c = document.createElement('canvas');
    c.width = c.height = px;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, px, px);
    bitmap.close();
    return g.getImageData(0, 0, px, px).data;
  } catch (e) {
    return null;  // offline, refused by CORS, not an image: the drawn avatar stays
  }
}
