#version 300 es
// Premultiplied alpha out: the canvas is composited premultiplied, so a transparent
// canvas lets the article's background show through without dark fringes. Every
// texture holds premultiplied colour (the browser's text comes so; the renderer
// premultiplies ImGui's atlas and pictures on upload); vertex colours are straight.
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
out vec4 out_color;
void main() {
  out_color = vec4(v_color.rgb * v_color.a, v_color.a) * texture(u_texture, v_uv);
}
