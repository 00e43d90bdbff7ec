#version 300 es
// Premultiplied alpha out: the canvas is composited premultiplied, so a transparent
// canvas lets the article's background show through without dark fringes.
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
out vec4 out_color;
void main() {
  vec4 c = v_color * texture(u_texture, v_uv);
  out_color = vec4(c.rgb * c.a, c.a);
}
