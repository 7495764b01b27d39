import { fireEvent } from "@testing-library/dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { searchFromUrl, watchSearchForms } from "../../src/track/search";

const PARAMS = ["q", "s", "query", "search"];

describe("searchFromUrl", () => {
  it.each([
    ["https://shop.example/search?q=red+shoes", "red shoes"],
    ["https://shop.example/?s=%20%20winter%0A%09coats%20", "winter coats"],
    ["https://shop.example/?q=&s=&query=boots", "boots"],
    ["https://shop.example/?search=a&q=b", "b"],
    ["/search?q=relative", "relative"],
    ["https://shop.example/?q=%20%20", null],
    ["https://shop.example/?page=2", null],
    ["https://shop.example/#q=fragment", null],
    ["http://[bad", null],
  ])("%s → %s", (url, expected) => {
    expect(searchFromUrl(url, PARAMS)).toBe(expected);
  });

  it("bounds the query to 200 characters", () => {
    expect(searchFromUrl(`/?q=${"ab ".repeat(100)}`, PARAMS)).toBe("ab ".repeat(67).slice(0, 200).trim());
  });

  it("never cuts an emoji in half", () => {
    const query = searchFromUrl(`/?q=${"a".repeat(199)}${encodeURIComponent("😀")}`, PARAMS);
    expect(query).toBe("a".repeat(199));
  });

  it("uses only the configured parameters", () => {
    expect(searchFromUrl("/?q=a", ["term"])).toBeNull();
  });
});

describe("watchSearchForms", () => {
  let stop = () => {};
  afterEach(() => {
    stop();
    document.body.innerHTML = "";
  });

  const submit = (html: string) => {
    document.body.innerHTML = html;
    const form = document.querySelector("form")!;
    const event = new Event("submit", { bubbles: true, cancelable: true });
    form.dispatchEvent(event);
    return event;
  };
  const watch = (options?: Parameters<typeof watchSearchForms>[1]) => {
    const onSearch = vi.fn<(query: string) => void>();
    stop = watchSearchForms(onSearch, options);
    return onSearch;
  };

  it("reports the text field of a role=search form without preventing the submission", () => {
    const onSearch = watch();
    const event = submit(`<form role="search"><input name="x" value="  gift   ideas "><button>Go</button></form>`);
    expect(onSearch.mock.calls).toEqual([["gift ideas"]]);
    expect(event.defaultPrevented).toBe(false);
  });

  it("reports the search input of any form", () => {
    const onSearch = watch();
    submit(`<form><input type="email" value="a@b.co"><input type="search" value="returns"></form>`);
    expect(onSearch.mock.calls).toEqual([["returns"]]);
  });

  it("reports a form inside a <search> element or a role=search wrapper", () => {
    const onSearch = watch();
    submit(`<search><form><input type="text" value="one"></form></search>`);
    submit(`<div role="search"><form><input value="two"></form></div>`);
    expect(onSearch.mock.calls).toEqual([["one"], ["two"]]);
  });

  it("ignores other forms and empty queries", () => {
    const onSearch = watch();
    submit(`<form><input type="text" value="newsletter"></form>`);
    submit(`<form role="search"><input type="search" value="   "></form>`);
    expect(onSearch).not.toHaveBeenCalled();
  });

  it("still sees a submit whose propagation the site stops", () => {
    const onSearch = watch();
    document.body.innerHTML = `<form role="search"><input value="shoes"></form>`;
    const form = document.querySelector("form")!;
    form.addEventListener("submit", (e) => e.stopPropagation());
    fireEvent.submit(form);
    expect(onSearch).toHaveBeenCalledWith("shoes");
  });

  it("leaves GET forms that put the query in a search parameter to searchFromUrl", () => {
    const onSearch = watch({ params: PARAMS });
    submit(`<form role="search" action="/search"><input type="search" name="q" value="counted on the results page"></form>`);
    submit(`<form role="search" method="post"><input type="search" name="q" value="post"></form>`);
    submit(`<form role="search"><input type="search" name="term" value="other name"></form>`);
    expect(onSearch.mock.calls).toEqual([["post"], ["other name"]]);
  });

  it("stops, and reports a failing handler instead of throwing", () => {
    const onError = vi.fn();
    stop = watchSearchForms(() => { throw new Error("x"); }, { onError });
    expect(() => submit(`<form role="search"><input value="a"></form>`)).not.toThrow();
    expect(onError).toHaveBeenCalledOnce();
    stop();
    submit(`<form role="search"><input value="a"></form>`);
    expect(onError).toHaveBeenCalledOnce();
  });
});
