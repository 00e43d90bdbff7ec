#version 300 es
// A rounded box (fill and border) over its CSS-style outer shadow, computed per
// device pixel from signed distances rather than tessellated:
// - the box's edge: the signed distance d to a rounded rectangle, in CSS px,
//   becomes coverage over one device pixel (clamp(0.5 - d * u_px)), so the
//   corners are equally smooth at devicePixelRatio 1, 2 or 3;
// - the shadow: the box's mask convolved with a gaussian of sigma = blur / 2
//   (what CSS specifies for box-shadow). Along x the convolution of one row of
//   the rounded box is exact (a difference of two erf); along y it is summed
//   over a few rows within 3 sigma. This is the method of Evan Wallace's "Fast
//   Rounded Rectangle Shadows" (2015), written again here.
// Output premultiplied, like imgui.frag.
precision highp float;
uniform vec4 u_rect;            // the box: min.xy, max.xy
uniform float u_radius;
uniform float u_border;         // border width, inside the box
uniform vec4 u_fill, u_stroke;  // straight alpha
uniform vec4 u_shadow_rect;     // the box moved by the offsets and grown by the spread
uniform float u_shadow_radius;
uniform float u_sigma;          // 0: a sharp shadow
uniform vec4 u_shadow;          // colour, straight alpha; a = 0: none
uniform float u_px;             // device pixels per CSS pixel
in vec2 v_pos;
out vec4 out_color;

// Signed distance from p to the rounded box (negative inside).
float box_distance(vec2 p, vec4 rect, float r) {
  vec2 half_size = 0.5 * (rect.zw - rect.xy);
  r = min(r, min(half_size.x, half_size.y));
  vec2 q = abs(p - 0.5 * (rect.xy + rect.zw)) - half_size + r;
  return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
}

float coverage(float d) { return clamp(0.5 - d * u_px, 0.0, 1.0); }

// erf, Abramowitz and Stegun 7.1.27 (error below 5e-4), two at a time.
vec2 erf2(vec2 x) {
  vec2 a = abs(x);
  vec2 t = 1.0 + a * (0.278393 + a * (0.230389 + a * (0.000972 + a * 0.078108)));
  t *= t;
  return sign(x) * (1.0 - 1.0 / (t * t));
}

// The gaussian-blurred mask of the rounded box centred at 0 with half size h and
// corner radius r, at point p.
float blurred_box(vec2 p, vec2 h, float r, float sigma) {
  // Rows of the box that the gaussian reaches from p: |p.y - y| < 3 sigma, |y| < h.y.
  float lo = max(p.y - 3.0 * sigma, -h.y);
  float hi = min(p.y + 3.0 * sigma, h.y);
  if (hi <= lo) return 0.0;
  const int kRows = 6;
  float step = (hi - lo) / float(kRows);
  float sum = 0.0;
  for (int i = 0; i < kRows; ++i) {
    float y = lo + (float(i) + 0.5) * step;
    // Half width of the box's row y: narrower in the corners.
    float dy = max(abs(y) - (h.y - r), 0.0);
    float w = h.x - r + sqrt(max(r * r - dy * dy, 0.0));
    // That row [-w, w] blurred along x, at p.x: exact.
    vec2 e = erf2((vec2(p.x) + vec2(w, -w)) * (0.70710678 / sigma));
    float gy = (p.y - y) / sigma;
    sum += 0.5 * (e.x - e.y) * exp(-0.5 * gy * gy);
  }
  return sum * step / (2.50662827 * sigma);   // gaussian's 1 / (sqrt(2 pi) sigma)
}

void main() {
  float d = box_distance(v_pos, u_rect, u_radius);
  float outer = coverage(d);
  float inner = u_border > 0.0 ? coverage(d + u_border) : outer;
  vec4 fill = vec4(u_fill.rgb * u_fill.a, u_fill.a);
  vec4 stroke = vec4(u_stroke.rgb * u_stroke.a, u_stroke.a);
  vec4 box = fill * inner + stroke * (outer - inner);
  float shadow = 0.0;
  if (u_shadow.a > 0.0) {
    vec2 half_size = 0.5 * (u_shadow_rect.zw - u_shadow_rect.xy);
    float r = min(u_shadow_radius, min(half_size.x, half_size.y));
    if (u_sigma > 0.0) {
      shadow = blurred_box(v_pos - 0.5 * (u_shadow_rect.xy + u_shadow_rect.zw), half_size, r, u_sigma);
    } else {
      shadow = coverage(box_distance(v_pos, u_shadow_rect, r));
    }
    shadow *= 1.0 - outer;   // CSS: an outer shadow is not painted under its box
  }
  vec4 s = vec4(u_shadow.rgb, 1.0) * (u_shadow.a * shadow);
  out_color = box + s * (1.0 - box.a);
}
