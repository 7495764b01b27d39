import { fireEvent, screen } from "@testing-library/dom";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { enhanceProfileForms, type ProfileForms, type ProfileFormsOptions } from "../../src/profile/forms";
import type { Json, Profiling } from "../../src/rules/types";

const profiling: Profiling = {
  fields: [
    { name: "firstName" },
    { name: "email", type: "email" },
    { name: "company" },
    { name: "role", options: ["developer", "marketer", "founder"] },
    { name: "companySize", type: "number" },
    { name: "phone", type: "tel", sensitive: true },
    { name: "country" },
  ],
  perForm: 2,
  always: ["firstName"],
};

// The site's own markup: wrappers for most fields, a bare control + <label for> (company), a control inside its
// label (role), `required` where a site would put it.
const FORM = `
  <form data-segmint-profile action="/signup" method="post">
    <div data-segmint-field="firstName"><label for="fn">First name</label><input id="fn" name="firstName" required></div>
    <div data-segmint-field="email"><label for="em">Email</label><input id="em" name="email" type="email" required></div>
    <label for="co">Company</label><input id="co" name="company" required>
    <label>Role <select name="role"><option value="">Pick one</option><option>developer</option><option>marketer</option><option>founder</option><option>ceo</option></select></label>
    <div data-segmint-field="companySize"><label for="cs">Company size</label><input id="cs" name="companySize"></div>
    <div data-segmint-field="phone"><label for="ph">Phone</label><input id="ph" name="phone" required></div>
    <div data-segmint-field="country"><label for="cn">Country</label><input id="cn" name="country"></div>
    <input type="hidden" name="source" value="landing">
    <button>Send</button>
  </form>`;

const FIELDS = profiling.fields.map((f) => f.name);

let forms: ProfileForms | undefined;
// jsdom cannot submit a form: the page (not segmint) stops it after every listener ran, noting what it saw.
let seen: Array<{ defaultPrevented: boolean; data: Record<string, FormDataEntryValue> }> = [];
const atPage = (e: Event) => {
  seen.push({ defaultPrevented: e.defaultPrevented, data: Object.fromEntries(new FormData(e.target as HTMLFormElement)) });
  e.preventDefault();
};
beforeAll(() => document.addEventListener("submit", atPage));
afterAll(() => document.removeEventListener("submit", atPage));
afterEach(() => {
  forms?.stop();
  forms = undefined;
  seen = [];
  document.body.innerHTML = "";
});

function visit(traits: Record<string, Json>, overrides: Partial<ProfileFormsOptions> = {}, html = FORM) {
  document.body.innerHTML = html;
  const onAnswers = vi.fn<ProfileFormsOptions["onAnswers"]>();
  const onError = vi.fn();
  forms = enhanceProfileForms(document, { profiling, traits: () => traits, onAnswers, onError, ...overrides });
  return { onAnswers, onError, form: document.querySelector("form") as HTMLFormElement };
}

const control = (name: string) => document.querySelector(`[name="${name}"]`) as HTMLInputElement;
const isShown = (el: Element) => !el.closest("[hidden]");
const shownFields = () => FIELDS.filter((name) => isShown(control(name)));
const type = (name: string, value: string) => fireEvent.input(control(name), { target: { value } });

/** What a native control says about this value: the message the form must borrow. */
function nativeMessage(kind: "email" | "pattern" | "select", value = ""): string {
  if (kind === "select") {
    const select = document.createElement("select");
    select.required = true;
    return select.validationMessage;
  }
  const input = document.createElement("input");
  if (kind === "email") input.type = "email";
  else input.pattern = "(?!)";
  input.value = value;
  return input.validationMessage;
}

describe("enhanceProfileForms: which fields a visit shows", () => {
  it("asks the next pair on each visit as the traits grow, then only the always fields", () => {
    let traits: Record<string, Json> = {};
    const answers: Record<string, string> = { firstName: "Ada", email: "ada@example.com", company: "Acme", role: "founder", companySize: "12", phone: "+44 20 7946 0958", country: "UK" };
    const visits: string[][] = [];
    const stored: string[][] = [];
    for (let i = 0; i < 4; i++) {
      const { onAnswers, form } = visit(traits);
      visits.push(shownFields());
      for (const name of shownFields()) {
        if (name === "role") fireEvent.change(control(name), { target: { value: answers[name] } });
        else type(name, answers[name] as string);
      }
      form.requestSubmit();
      expect(onAnswers).toHaveBeenCalledTimes(1);
      const [learned, fields] = onAnswers.mock.calls[0] as [Record<string, Json>, string[]];
      stored.push(fields);
      traits = { ...traits, ...learned };
      forms?.stop();
    }
    expect(visits).toEqual([
      ["firstName", "email", "company"],
      ["firstName", "role", "companySize"],
      ["firstName", "phone", "country"],
      ["firstName"],
    ]);
    expect(stored).toEqual([["firstName", "email", "company"], ["firstName", "role", "companySize"], ["firstName", "phone", "country"], ["firstName"]]);
    expect(traits).toEqual({ firstName: "Ada", email: "ada@example.com", company: "Acme", role: "founder", companySize: 12, phone: true, country: "UK" });
  });

  it("hides known fields, still enabled and pre-filled, so the site receives a complete submission", () => {
    const { form } = visit({ email: "ada@example.com", company: "Acme", role: "founder" });
    expect(shownFields()).toEqual(["firstName", "companySize", "phone"]);
    // a wrapper is hidden whole; a bare control is hidden with its <label for>; a control inside a label with it
    expect(document.querySelector('[data-segmint-field="email"]')!.hasAttribute("hidden")).toBe(true);
    expect(control("company").hidden && document.querySelector('label[for="co"]')!.hasAttribute("hidden")).toBe(true);
    expect(control("role").closest("label")!.hidden).toBe(true);
    expect(document.querySelector('[data-segmint-field="email"]')!.classList.contains("segmint-hidden")).toBe(true);
    for (const name of ["email", "company", "role"]) expect(control(name).disabled).toBe(false);
    expect([control("email").value, control("company").value, control("role").value]).toEqual(["ada@example.com", "Acme", "founder"]);
    // hidden and still empty: required would block the submit
    expect(control("country").required).toBe(false);
    type("firstName", "Ada");
    type("companySize", "12");
    type("phone", "555 123 456");
    form.requestSubmit();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.data).toMatchObject({ firstName: "Ada", email: "ada@example.com", company: "Acme", role: "founder", companySize: "12", country: "", source: "landing" });
  });

  it("keeps always fields visible, pre-filled when known and empty, never over a value the page already has", () => {
    visit({ firstName: "Ada", email: "ada@example.com", company: "Acme", role: "founder", companySize: 5, phone: true, country: "UK" });
    expect(shownFields()).toEqual(["firstName"]);
    expect(control("firstName").value).toBe("Ada");
    forms?.stop();
    visit({ firstName: "Ada" }, {}, FORM.replace('name="firstName" required', 'name="firstName" required value="Grace"'));
    expect(control("firstName").value).toBe("Grace");
  });

  it("shows at most perForm unknown fields; always fields do not count", () => {
    visit({}, { profiling: { ...profiling, perForm: 3 } });
    expect(shownFields()).toEqual(["firstName", "email", "company", "role"]);
    forms?.stop();
    visit({}, { profiling: { ...profiling, perForm: 0 } });
    expect(shownFields()).toEqual(["firstName"]);
  });

  it("never pre-fills a sensitive field: hidden, empty and no longer required", () => {
    const { form, onAnswers } = visit({ email: "a@b.c", company: "Acme", role: "founder", companySize: 5, phone: true });
    expect(isShown(control("phone"))).toBe(false);
    expect(control("phone").value).toBe("");
    expect(control("phone").required).toBe(false);
    type("firstName", "Ada");
    form.requestSubmit();
    expect(seen).toHaveLength(1);
    expect(onAnswers).toHaveBeenCalledWith({ firstName: "Ada" }, ["firstName"]);
  });

  it("leaves visible a known field whose stored value the site's control rejects", () => {
    visit({ email: "a@b.c", company: "acme" }, {}, FORM.replace('name="company" required', 'name="company" required pattern="[A-Z].*"'));
    expect(isShown(control("company"))).toBe(true);
    expect(control("company").value).toBe("acme");
    expect(control("company").required).toBe(true);
  });

  it("leaves alone what the site hid itself, and the labels of fields it shows", () => {
    visit({}, {}, FORM.replace('<div data-segmint-field="country">', '<div data-segmint-field="country" hidden>'));
    forms?.stop();
    expect(document.querySelector('[data-segmint-field="country"]')!.hasAttribute("hidden")).toBe(true);
    expect(screen.getByText("Email").hidden).toBe(false);
  });
});

describe("enhanceProfileForms: validation with the browser's own messages", () => {
  it("email", () => {
    visit({});
    type("email", "ada");
    expect(control("email").validity.customError).toBe(true);
    expect(control("email").validationMessage).toBe(nativeMessage("email", "ada"));
    expect((document.querySelector("form") as HTMLFormElement).checkValidity()).toBe(false);
    type("email", "ada@example.com");
    expect(control("email").validity.customError).toBe(false);
  });

  it("number and tel borrow the pattern message (browsers do not validate tel; number inputs drop bad values)", () => {
    visit({ email: "a@b.c", company: "Acme", role: "founder" });
    type("companySize", "many");
    expect(control("companySize").validity.customError).toBe(true);
    expect(control("companySize").validationMessage).toBe(nativeMessage("pattern", "many"));
    type("companySize", "12");
    expect(control("companySize").validity.valid).toBe(true);
    type("phone", "12");
    expect(control("phone").validity.customError).toBe(true);
    expect(control("phone").validationMessage).toBe(nativeMessage("pattern", "12"));
    type("phone", "+1 (555) 123-4567");
    expect(control("phone").validity.valid).toBe(true);
  });

  it("a select option that is not in the field's options gets the required-select message", () => {
    visit({ email: "a@b.c", company: "Acme" });
    fireEvent.change(control("role"), { target: { value: "ceo" } });
    expect(control("role").validity.customError).toBe(true);
    expect(control("role").validationMessage).toBe(nativeMessage("select"));
    fireEvent.change(control("role"), { target: { value: "marketer" } });
    expect(control("role").validity.valid).toBe(true);
  });

  it("an empty optional field is fine", () => {
    visit({ email: "a@b.c", company: "Acme", role: "founder" });
    type("companySize", "x");
    type("companySize", "");
    expect(control("companySize").validity.valid).toBe(true);
  });

  it("checks values already there when the form is enhanced, and on invalid", () => {
    visit({}, {}, FORM.replace('name="email" type="email" required', 'name="email" required value="nope"'));
    expect(control("email").validity.customError).toBe(true);
    forms?.stop();
    visit({});
    control("email").value = "ada"; // set by a script: no input event
    expect(control("email").validity.customError).toBe(false);
    expect((document.querySelector("form") as HTMLFormElement).checkValidity()).toBe(false); // native type=email fires invalid
    expect(control("email").validity.customError).toBe(true);
    expect(control("email").validationMessage).toBe(nativeMessage("email", "ada"));
  });

  it("an invalid value blocks the submit like a native field, and nothing is learned", () => {
    const { form, onAnswers } = visit({});
    type("firstName", "Ada");
    type("email", "ada");
    type("company", "Acme");
    form.requestSubmit();
    expect(seen).toHaveLength(0);
    expect(onAnswers).not.toHaveBeenCalled();
  });
});

describe("enhanceProfileForms: submit", () => {
  it("never prevents or changes a valid submission", () => {
    const { form, onAnswers } = visit({});
    type("firstName", " Ada ");
    type("email", "ada@example.com");
    type("company", "Acme  ");
    const before = Object.fromEntries(new FormData(form));
    form.requestSubmit();
    expect(seen).toEqual([{ defaultPrevented: false, data: before }]);
    expect(before).toMatchObject({ firstName: " Ada ", company: "Acme  " }); // traits are trimmed, the submission is not
    expect(onAnswers).toHaveBeenCalledWith({ firstName: "Ada", email: "ada@example.com", company: "Acme" }, ["firstName", "email", "company"]);
  });

  it("stores a sensitive answer as true, never its value", () => {
    const { form, onAnswers } = visit({ email: "a@b.c", company: "Acme", role: "founder", companySize: 5 });
    type("firstName", "Ada");
    type("phone", "+44 20 7946 0958");
    form.requestSubmit();
    expect(onAnswers).toHaveBeenCalledWith({ firstName: "Ada", phone: true }, ["firstName", "phone"]);
    expect(seen[0]!.data.phone).toBe("+44 20 7946 0958"); // the site still gets it
  });

  it("learns nothing from a novalidate form submitted with invalid values, and reads only the fields it showed", () => {
    const { form, onAnswers } = visit({}, {}, FORM.replace("data-segmint-profile", "data-segmint-profile novalidate"));
    type("company", "Acme");
    type("email", "ada");
    fireEvent.submit(form);
    expect(onAnswers).not.toHaveBeenCalled();
    type("email", "ada@example.com");
    fireEvent.submit(form);
    expect(onAnswers).not.toHaveBeenCalled(); // firstName is required and still empty
    type("firstName", "Ada");
    control("country").value = "UK"; // hidden this visit: not an answer
    fireEvent.submit(form);
    expect(onAnswers).toHaveBeenCalledWith({ firstName: "Ada", email: "ada@example.com", company: "Acme" }, ["firstName", "email", "company"]);
  });

  it("reports an error from onAnswers to onError instead of the page", () => {
    const boom = new Error("boom");
    const { form, onError } = visit({ email: "a@b.c", company: "Acme" }, { onAnswers: () => { throw boom; } });
    type("firstName", "Ada");
    form.requestSubmit();
    expect(onError).toHaveBeenCalledWith(boom);
    expect(seen).toHaveLength(1);
  });

  it("answers from a radio group", () => {
    const radios = FORM.replace(/<label>Role <select[\s\S]*?<\/select><\/label>/, `<fieldset data-segmint-field="role">
      <label><input type="radio" name="role" value="developer">Developer</label>
      <label><input type="radio" name="role" value="founder">Founder</label></fieldset>`);
    const { form, onAnswers } = visit({ firstName: "Ada", email: "a@b.c", company: "Acme" }, {}, radios);
    fireEvent.click(screen.getByLabelText("Founder"));
    form.requestSubmit();
    expect(onAnswers).toHaveBeenCalledWith({ firstName: "Ada", role: "founder" }, ["firstName", "role"]);
    forms?.stop();
    visit({ email: "a@b.c", company: "Acme", role: "founder" }, {}, radios);
    expect((screen.getByLabelText("Founder") as HTMLInputElement).checked).toBe(true);
    expect(isShown(screen.getByLabelText("Founder"))).toBe(false);
  });
});

describe("enhanceProfileForms: refresh and stop", () => {
  it("stop restores hidden, required, pre-filled values, custom validity and listeners", () => {
    const { form, onAnswers } = visit({ email: "ada@example.com", company: "Acme" });
    type("role", "ceo");
    fireEvent.change(control("role"), { target: { value: "ceo" } });
    expect(control("role").validity.customError).toBe(true);
    forms?.stop();
    expect(shownFields()).toEqual(FIELDS);
    expect(document.querySelectorAll("[hidden], .segmint-hidden")).toHaveLength(0);
    expect([control("email").value, control("company").value]).toEqual(["", ""]);
    expect(["firstName", "email", "company", "phone"].map((n) => control(n).required)).toEqual([true, true, true, true]);
    expect(control("role").validity.customError).toBe(false);
    type("email", "nope");
    expect(control("email").validity.customError).toBe(false);
    fireEvent.submit(form);
    expect(onAnswers).not.toHaveBeenCalled();
  });

  it("stop keeps a pre-filled value the visitor has changed since", () => {
    visit({ firstName: "Ada" });
    type("firstName", "Grace");
    forms?.stop();
    expect(control("firstName").value).toBe("Grace");
  });

  it("refresh re-plans with the current traits and finds forms added since", () => {
    let traits: Record<string, Json> = {};
    visit({}, { traits: () => traits });
    expect(shownFields()).toEqual(["firstName", "email", "company"]);
    traits = { email: "a@b.c", company: "Acme" };
    forms!.refresh();
    expect(shownFields()).toEqual(["firstName", "role", "companySize"]);
    document.body.insertAdjacentHTML("beforeend", `<form data-segmint-profile><input name="email" aria-label="Second email"></form>`);
    forms!.refresh();
    expect(isShown(screen.getByLabelText("Second email"))).toBe(false);
    expect((screen.getByLabelText("Second email") as HTMLInputElement).value).toBe("a@b.c");
  });

  it("leaves forms without data-segmint-profile alone", () => {
    visit({ email: "a@b.c" }, {}, FORM.replace("data-segmint-profile", ""));
    expect(shownFields()).toEqual(FIELDS);
  });
});
