#include <doctest/doctest.h>

#include <string>

#include "core/i18n.h"
#include "null_imgui.h"
#include "widget/reply_form.h"
#include "widget/theme.h"

// The reply form drawn through Dear ImGui with no renderer: where its elements are
// (the DOM elements are laid over them), what validation shows, edit mode, and the
// « Annuler la réponse » link.
namespace causerie {
namespace {

float bottom(const ImVec4& r) { return r.y + r.w; }

}  // namespace

TEST_CASE("the form's elements are laid out top to bottom (a row's left to right) inside the width, in tab order") {
  test::NullImGuiWindow imgui;
  const Theme theme;
  ReplyForm form(catalog_for("fr"));
  form.set_my_data_available(true);
  const ImVec2 origin(20, 30);
  const float width = 600;
  const float height = form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + width}, origin.y);
  CHECK(height == form.height());
  CHECK(form.element_rect(kEraseButton).z == 0);  // the data form's only
  for (int e = 0; e <= kMyDataButton; ++e) {
    const ImVec4& r = form.element_rect(e);
    CAPTURE(e);
    CHECK(r.z > 0);
    CHECK(r.w > 0);
    CHECK(r.x >= origin.x);
    CHECK(r.x + r.z <= origin.x + width);
    CHECK(bottom(r) <= origin.y + height);
    if (e > 0) {
      const ImVec4& before = form.element_rect(e - 1);
      CHECK((r.y >= bottom(before) || (r.y == before.y && r.x >= before.x + before.z)));
    }
  }
  // The body field is the widest and holds several lines.
  CHECK(form.element_rect(kFieldBody).z == width);
  CHECK(form.element_rect(kFieldBody).w > 4 * imgui.fonts.line());

  // A long text grows the body field, and the form with it.
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "Une phrase de plus pour remplir le champ. ";
  const float body_h = form.element_rect(kFieldBody).w;
  form.set_field(kFieldBody, long_text);
  const float taller = form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + width}, origin.y);
  CHECK(form.element_rect(kFieldBody).w > body_h);
  CHECK(taller - height == doctest::Approx(form.element_rect(kFieldBody).w - body_h));

  // « Mes données »: the e-mail field, then the copy and erase buttons on one row.
  form.ask_my_data(true);
  form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + width}, origin.y);
  for (int e : {kFieldBody, kFieldName, kFieldUrl, kRememberBox, kPreviewButton, kMyDataButton})
    CHECK(form.element_rect(e).z == 0);
  const ImVec4 &email = form.element_rect(kFieldEmail), &copy = form.element_rect(kSubmitButton),
               &erase = form.element_rect(kEraseButton);
  CHECK(email.z > 0);
  CHECK(copy.y >= bottom(email));
  CHECK(erase.y == copy.y);
  CHECK(erase.x >= copy.x + copy.z);
  CHECK(erase.x + erase.z <= origin.x + width);
}

TEST_CASE("validation shows each field's message under it and clears it as the reader fixes it") {
  test::NullImGuiWindow imgui;
  const Theme theme;
  ReplyForm form(catalog_for("fr"));
  const float clean = form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{0, 600}, 0);
  NewComment out;
  CHECK_FALSE(form.validate(out));
  CHECK(form.take_messages_changed());
  const auto messages = form.messages();
  REQUIRE(messages.size() == kTextFieldCount + 1);
  CHECK_FALSE(messages[kFieldBody].empty());
  CHECK_FALSE(messages[kFieldName].empty());
  CHECK_FALSE(messages[kFieldEmail].empty());
  CHECK(messages[kFieldUrl].empty());
  const float with_errors = form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{0, 600}, 0);
  CHECK(with_errors > clean);  // three message lines, drawn under their fields

  form.set_field(kFieldName, "Marie");
  CHECK(form.messages()[kFieldName].empty());
  CHECK_FALSE(form.messages()[kFieldBody].empty());

  form.set_field(kFieldBody, "Merci pour cet article.");
  form.set_field(kFieldEmail, "marie@example.org");
  form.reply_to(42, "Bernard");
  REQUIRE(form.validate(out));
  CHECK(out.parent_id == 42);
  CHECK(out.author.name == "Marie");
  CHECK(out.body == "Merci pour cet article.");
  for (const std::string& m : form.messages()) CHECK(m.empty());
  CHECK(form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{0, 600}, 0) == doctest::Approx(clean));
}

TEST_CASE("editing a comment shows only its text, and Annuler closes the form") {
  test::NullImGuiWindow imgui;
  const Theme theme;
  ReplyForm form(catalog_for("fr"));
  form.edit(7);
  CHECK(form.anchor() == 7);
  CHECK(form.labels()[kSubmitButton] == "Enregistrer");
  const ImVec2 origin(10, 10);
  form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + 500}, origin.y);
  CHECK(form.element_rect(kFieldBody).z > 0);
  for (int e : {kFieldName, kFieldEmail, kFieldUrl, kRememberBox}) CHECK(form.element_rect(e).z == 0);
  CHECK(form.element_rect(kSubmitButton).z > 0);

  // « Annuler » follows the title, on its line: a click there asks to close the form.
  const float title_size = imgui.fonts.size * 1.25f;
  const float title_w = text_width(imgui.fonts, imgui.fonts.bold, title_size, tr(catalog_for("fr"), "comment.edit"));
  const ImVec2 cancel(origin.x + title_w + 14 + 4, origin.y + 12 + title_size * 0.5f);
  CHECK_FALSE(form.take_cancel());
  ImGuiIO& io = ImGui::GetIO();
  io.AddMousePosEvent(cancel.x, cancel.y);
  imgui.next_frame();
  form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + 500}, origin.y);
  io.AddMouseButtonEvent(ImGuiMouseButton_Left, true);
  imgui.next_frame();
  form.draw(imgui.draw_list(), imgui.fonts, theme, Lane{origin.x, origin.x + 500}, origin.y);
  CHECK(form.take_cancel());
  CHECK_FALSE(form.take_cancel());  // once
}

TEST_CASE("the form draws no field text: the DOM fields over its frames draw their own") {
  test::NullImGuiWindow imgui;
  const Theme theme;
  ReplyForm form(catalog_for("fr"));
  const auto vertices_drawn = [&] {
    ImDrawList* dl = imgui.draw_list();
    const int before = dl->VtxBuffer.Size;
    form.draw(dl, imgui.fonts, theme, Lane{0, 600}, 0);
    return dl->VtxBuffer.Size - before;
  };
  const int empty = vertices_drawn();
  CHECK(empty > 0);  // labels, frames, buttons
  form.set_field(kFieldName, "Zoé Lefèvre");
  form.set_field(kFieldEmail, "zoe@example.org");
  form.set_field(kFieldBody, "مرحبا — Bonjour 👍🏽 ❤️ שלום");
  CHECK(vertices_drawn() == empty);
}

TEST_CASE("a mirrored form (an Arabic interface): labels, fields, checkbox and buttons from the right edge") {
  test::NullImGuiWindow imgui;
  const Theme theme;
  ReplyForm ltr(catalog_for("fr")), rtl(catalog_for("ar"));
  const Lane lane{20, 620}, mirrored{20, 620, true};
  ltr.draw(imgui.draw_list(), imgui.fonts, theme, lane, 30);
  rtl.draw(imgui.draw_list(), imgui.fonts, theme, mirrored, 30);
  const auto right = [](const ImVec4& r) { return r.x + r.z; };
  for (int e : {kFieldBody, kFieldName, kFieldEmail, kFieldUrl, kRememberBox, kSubmitButton}) {
    CAPTURE(e);
    CHECK(ltr.element_rect(e).x == doctest::Approx(lane.left));
    CHECK(right(rtl.element_rect(e)) == doctest::Approx(lane.right));
    CHECK(rtl.element_rect(e).x >= lane.left);
  }
  // The single-line fields keep their width, at the other edge.
  CHECK(rtl.element_rect(kFieldName).z == ltr.element_rect(kFieldName).z);
  CHECK(rtl.element_rect(kFieldName).z < lane.width());
  // « معاينة » (Preview) comes after the submit button: to its left.
  REQUIRE(rtl.element_rect(kPreviewButton).z > 0);
  CHECK(right(rtl.element_rect(kPreviewButton)) < rtl.element_rect(kSubmitButton).x);
  CHECK(ltr.element_rect(kPreviewButton).x > right(ltr.element_rect(kSubmitButton)));
}

}  // namespace causerie
