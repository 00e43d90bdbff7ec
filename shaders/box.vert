#version 300 es
// A rounded box and its shadow (widget/rounded_box.h): one quad covering the box
// and everything its shadow reaches, made from gl_VertexID (no vertex buffer).
// v_pos is in CSS pixels, canvas coordinates, as ImGui's vertices are.
uniform mat4 u_projection;
uniform vec4 u_bounds;   // quad: min.xy, max.xy
out vec2 v_pos;
void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
  v_pos = mix(u_bounds.xy, u_bounds.zw, corner);
  gl_Position = u_projection * vec4(v_pos, 0.0, 1.0);
}
