/**
 * Rotates the hue of every pixel of a 3-channel planar image by `shift` turns,
 * through HSV exactly as torchvision's _rgb2hsv / _hsv2rgb on float tensors
 * compute it (hue in [0, 1), the grey axis keeping hue 0 and saturation 0).
 */
export function shiftHue(image: Float32Array, plane: number, shift: number): void {
  for (let p = 0; p < plane; p++) {
    const r = image[p]!;
    const g = image[plane + p]!;
    const b = image[2 * plane + p]!;
    // Plain comparisons: Math.max/min of three arguments is several times slower in this loop.
    const maxc = r > g ? (r > b ? r : b) : g > b ? g : b;
    const minc = r < g ? (r < b ? r : b) : g < b ? g : b;
    const v = maxc;
    const chroma = maxc - minc;
    let h = 0;
    let s = 0;
    if (chroma !== 0) {
      s = chroma / maxc;
      const rc = (maxc - r) / chroma;
      const gc = (maxc - g) / chroma;
      const bc = (maxc - b) / chroma;
      if (maxc === r) h = bc - gc;
      else if (maxc === g) h = 2 + rc - bc;
      else h = 4 + gc - rc;
      // h / 6 is in (-1/6, 5/6): torchvision's fmod(h / 6 + 1, 1).
      h = h < 0 ? h / 6 + 1 : h / 6;
    }
    // torch's % is a floor modulo; |shift| <= 0.5 keeps h + shift in (-0.5, 1.5).
    h += shift;
    if (h < 0) h += 1;
    else if (h >= 1) h -= 1;
    const h6 = h * 6;
    const i = Math.floor(h6);
    const f = h6 - i;
    const pp = Math.min(1, Math.max(0, v * (1 - s)));
    const q = Math.min(1, Math.max(0, v * (1 - s * f)));
    const t = Math.min(1, Math.max(0, v * (1 - s * (1 - f))));
    let ro: number;
    let go: number;
    let bo: number;
    switch (i % 6) {
      case 0:
        ro = v;
        go = t;
        bo = pp;
        break;
      case 1:
        ro = q;
        go = v;
        bo = pp;
        break;
      case 2:
        ro = pp;
        go = v;
        bo = t;
        break;
      case 3:
        ro = pp;
        go = q;
        bo = v;
        break;
      case 4:
        ro = t;
        go = pp;
        bo = v;
        break;
      default:
        ro = v;
        go = pp;
        bo = q;
    }
    image[p] = ro;
    image[plane + p] = go;
    image[2 * plane + p] = bo;
  }
}
