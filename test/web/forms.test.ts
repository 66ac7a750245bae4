import { fileURLToPath } from "node:url";
import { Eta } from "eta";
import type { DataIssue } from "joeflow";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { shipping } from "../../examples/shipping.ts";
import { welcome } from "../../examples/welcome.ts";
import {
  displayValues,
  fieldErrors,
  fieldViews,
  formFields,
  humanize,
  parseForm,
  type FormField,
} from "../../web/forms/mod.ts";

enum Priority {
  Low = 1,
  High = 2,
}

/** A state with one field of every kind the forms know. */
const everything = z.object({
  title: z.string().max(80).describe("Title of the order"),
  notes: z.string().optional(),
  remark: z.string().optional().describe("textarea: Remarks for the courier"),
  email: z.email(),
  website: z.url().optional(),
  quantity: z.int().min(1).max(99),
  weight: z.number().positive().describe("Weight in kilograms. Round up to the next kilogram."),
  price: z.number().multipleOf(0.01).default(0),
  gift: z.boolean().default(false),
  deliverOn: z.iso.date(),
  pickupAt: z.iso.datetime().optional(),
  createdAt: z.date(),
  speed: z.enum(["standard", "express"]),
  priority: z.enum(Priority).optional(),
  size: z.union([z.literal("s"), z.literal("m")]).optional(),
  assignee: z.string().meta({ widget: "user", title: "Who packs it" }).nullable(),
  items: z.array(z.object({ sku: z.string(), count: z.int() })),
  serial: z.bigint().optional(),
});
type EverythingName = keyof typeof everything.shape;
const everyName = Object.keys(everything.shape) as EverythingName[];

const field = (fields: readonly FormField[], name: string): FormField => {
  const found = fields.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
};

/** zod's issues as joeflow reports them (DataIssue). */
const issuesOf = (error: z.ZodError): DataIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
    message: issue.message,
    code: issue.code,
  }));

describe("formFields", () => {
  it("describes the shipping workflow's fields", () => {
    expect(formFields(shipping.state, ["shippingAddress", "email"])).toEqual([
      {
        name: "shippingAddress",
        label: "Shipping address",
        kind: "textarea",
        required: true,
        nullable: false,
        minLength: 1,
      },
      { name: "email", label: "Email", kind: "email", required: false, nullable: false },
    ]);
    expect(formFields(shipping.state, ["trackingCode"])).toEqual([
      { name: "trackingCode", label: "Tracking code", kind: "text", required: false, nullable: false },
    ]);
  });

  it("makes the welcome workflow's user a user field", () => {
    expect(formFields(welcome.state, ["user"])).toEqual([
      { name: "user", label: "User", kind: "user", required: false, nullable: false, minLength: 1 },
    ]);
    const upper = z.object({ owner: z.string().describe("User") });
    expect(formFields(upper, ["owner"])[0]).toMatchObject({ kind: "user", label: "Owner", required: true });
    const labelled = z.object({ owner: z.string().describe("user: Who signs it off") });
    expect(formFields(labelled, ["owner"])[0]).toMatchObject({ kind: "user", label: "Who signs it off" });
  });

  it("describes every kind", () => {
    const fields = formFields(everything, everyName);
    expect(fields.map((f) => f.name)).toEqual(everyName);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    const base = { required: true, nullable: false };
    expect(byName).toEqual({
      title: { ...base, name: "title", label: "Title of the order", kind: "text", maxLength: 80 },
      notes: { ...base, name: "notes", label: "Notes", kind: "textarea", required: false },
      remark: { ...base, name: "remark", label: "Remarks for the courier", kind: "textarea", required: false },
      email: { ...base, name: "email", label: "Email", kind: "email" },
      website: { ...base, name: "website", label: "Website", kind: "url", required: false },
      quantity: {
        ...base,
        name: "quantity",
        label: "Quantity",
        kind: "integer",
        valueType: "number",
        min: 1,
        max: 99,
        step: 1,
      },
      weight: {
        ...base,
        name: "weight",
        label: "Weight",
        kind: "number",
        valueType: "number",
        min: 0,
        step: "any",
        description: "Weight in kilograms. Round up to the next kilogram.",
      },
      price: {
        ...base,
        name: "price",
        label: "Price",
        kind: "number",
        valueType: "number",
        step: 0.01,
        required: false,
        defaultValue: 0,
      },
      gift: { ...base, name: "gift", label: "Gift", kind: "checkbox", required: false, defaultValue: false },
      deliverOn: { ...base, name: "deliverOn", label: "Deliver on", kind: "date" },
      pickupAt: {
        ...base,
        name: "pickupAt",
        label: "Pickup at",
        kind: "datetime",
        valueType: "string",
        local: false,
        precision: null,
        step: "any",
        required: false,
      },
      createdAt: {
        ...base,
        name: "createdAt",
        label: "Created at",
        kind: "datetime",
        valueType: "Date",
        local: false,
        precision: null,
        step: "any",
      },
      speed: {
        ...base,
        name: "speed",
        label: "Speed",
        kind: "select",
        options: [
          { value: "standard", label: "standard", raw: "standard" },
          { value: "express", label: "express", raw: "express" },
        ],
      },
      priority: {
        ...base,
        name: "priority",
        label: "Priority",
        kind: "select",
        required: false,
        options: [
          { value: "1", label: "Low", raw: 1 },
          { value: "2", label: "High", raw: 2 },
        ],
      },
      size: {
        ...base,
        name: "size",
        label: "Size",
        kind: "select",
        required: false,
        options: [
          { value: "s", label: "s", raw: "s" },
          { value: "m", label: "m", raw: "m" },
        ],
      },
      assignee: { ...base, name: "assignee", label: "Who packs it", kind: "user", nullable: true },
      items: { ...base, name: "items", label: "Items", kind: "json" },
      serial: {
        ...base,
        name: "serial",
        label: "Serial",
        kind: "integer",
        valueType: "bigint",
        step: 1,
        required: false,
      },
    });
  });

  it("turns exclusive integer bounds into inclusive ones and keeps real int32 bounds", () => {
    const state = z.object({ a: z.int().gt(0).lt(10), b: z.int32() });
    expect(formFields(state, ["a", "b"])).toMatchObject([
      { kind: "integer", min: 1, max: 9 },
      { kind: "integer", min: -2147483648, max: 2147483647 },
    ]);
  });

  it("finds the description on any wrapper and sees through transforms", () => {
    const state = z.object({
      inner: z.string().describe("user").optional(),
      piped: z
        .string()
        .transform((text) => text.length)
        .describe("Length"),
      local: z.iso.datetime({ local: true, precision: -1 }),
    });
    expect(formFields(state, ["inner", "piped", "local"])).toMatchObject([
      { kind: "user", required: false },
      { kind: "text", label: "Length", required: true },
      { kind: "datetime", local: true, precision: -1 },
    ]);
    expect(formFields(state, ["local"])[0]).not.toHaveProperty("step");
  });

  it("rejects a field the state lacks", () => {
    expect(() => formFields(shipping.state, ["nope"])).toThrow(/no field "nope"/);
  });

  it("gives equal answers from its cache without sharing the array", () => {
    const first = formFields(shipping.state, ["email"]);
    const second = formFields(shipping.state, ["email"]);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(Object.isFrozen(first[0])).toBe(true);
  });

  it("humanizes names", () => {
    expect(humanize("shippingAddress")).toBe("Shipping address");
    expect(humanize("order_id")).toBe("Order id");
    expect(humanize("URLPath")).toBe("URL path");
    expect(humanize("address2")).toBe("Address 2");
    expect(humanize("x")).toBe("X");
  });
});

describe("parseForm", () => {
  const fields = formFields(everything, everyName);

  it("converts each kind", () => {
    const parsed = parseForm(fields, {
      title: "  Mugs  ",
      notes: "line 1\r\nline 2\r\n",
      remark: "",
      email: "ann@example.com",
      website: "https://example.com",
      quantity: "3",
      weight: "2.5",
      price: "",
      gift: "true",
      deliverOn: "2024-05-01",
      pickupAt: "2024-05-01T09:30",
      createdAt: "2024-05-01T09:30:15.5",
      speed: "express",
      priority: "2",
      size: "m",
      assignee: "ann",
      items: '[{"sku":"MUG","count":2}]',
      serial: "12345678901234567890",
    });
    expect(parsed).toEqual({
      title: "Mugs",
      notes: "line 1\nline 2",
      email: "ann@example.com",
      website: "https://example.com",
      quantity: 3,
      weight: 2.5,
      gift: true,
      deliverOn: "2024-05-01",
      pickupAt: "2024-05-01T09:30:00Z",
      createdAt: new Date("2024-05-01T09:30:15.500Z"),
      speed: "express",
      priority: 2,
      size: "m",
      assignee: "ann",
      items: [{ sku: "MUG", count: 2 }],
      serial: 12345678901234567890n,
    });
    expect(everything.safeParse(parsed).success).toBe(true);
  });

  it("omits empty optional fields and gives null or nothing for empty required ones", () => {
    const parsed = parseForm(fields, {
      title: "",
      notes: "",
      website: " ",
      quantity: "",
      price: "",
      pickupAt: "",
      priority: "",
      assignee: "",
      items: "",
    });
    // Required text (email too) stays "", a required nullable field is null, other required fields are
    // left out for zod to flag; unsent fields count as empty.
    expect(parsed).toEqual({ title: "", email: "", assignee: null, gift: false });
  });

  it("keeps text it cannot convert, for zod to report", () => {
    const parsed = parseForm(fields, {
      quantity: "lots",
      weight: "0x1f",
      items: "{broken",
      speed: "warp",
      createdAt: "soon",
      serial: "1.5",
      pickupAt: "tomorrow",
    });
    expect(parsed).toMatchObject({
      quantity: "lots",
      weight: "0x1f",
      items: "{broken",
      speed: "warp",
      createdAt: "soon",
      serial: "1.5",
      pickupAt: "tomorrow",
    });
  });

  it('reads checkboxes: absent is false, any value but "false" is true', () => {
    const gift = [field(fields, "gift")];
    expect(parseForm(gift, {})).toEqual({ gift: false });
    expect(parseForm(gift, { gift: "on" })).toEqual({ gift: true });
    expect(parseForm(gift, { gift: "false" })).toEqual({ gift: false });
    expect(parseForm(gift, { gift: ["false", "true"] })).toEqual({ gift: true });
  });

  it("reads only the listed fields, the first text of repeated ones, and no files", () => {
    const [address, email] = formFields(shipping.state, ["shippingAddress", "email"]);
    const file = new File(["x"], "x.txt");
    expect(parseForm([address!], { shippingAddress: ["1 Main St", "2 Side St"], trackingCode: "T1" })).toEqual({
      shippingAddress: "1 Main St",
    });
    expect(parseForm([email!], { email: file })).toEqual({});
    expect(parseForm([email!], { email: [file, "ann@example.com"] })).toEqual({ email: "ann@example.com" });
  });

  it("does not mistake inherited properties for submitted values", () => {
    const state = z.object({ toString: z.string().optional(), constructor: z.number().optional() });
    expect(parseForm(formFields(state, ["toString", "constructor"]), {})).toEqual({});
  });

  it("shapes datetimes as the schema's precision and zone ask", () => {
    const state = z.object({
      minutes: z.iso.datetime({ precision: -1 }),
      millis: z.iso.datetime({ precision: 3 }),
      local: z.iso.datetime({ local: true }),
    });
    const parsed = parseForm(formFields(state, ["minutes", "millis", "local"]), {
      minutes: "2024-05-01T09:30",
      millis: "2024-05-01T09:30:15",
      local: "2024-05-01T09:30",
    });
    expect(parsed).toEqual({
      minutes: "2024-05-01T09:30Z",
      millis: "2024-05-01T09:30:15.000Z",
      local: "2024-05-01T09:30:00",
    });
    expect(state.safeParse(parsed).success).toBe(true);
  });
});

describe("round trip", () => {
  const fields = formFields(shipping.state, ["shippingAddress", "email"]);

  it("accepts good input", () => {
    const values = parseForm(fields, { shippingAddress: "1 Main St\r\nSpringfield", email: "" });
    const result = shipping.state.safeParse(values);
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ shippingAddress: "1 Main St\nSpringfield" });
  });

  it("maps bad input's issues to their fields and keeps what was typed", () => {
    const values = parseForm(fields, { shippingAddress: "  ", email: "not an email" });
    const result = shipping.state.safeParse(values);
    expect(result.success).toBe(false);
    const errors = fieldErrors(issuesOf(result.error!), fields);
    expect(Object.keys(errors.byField).sort()).toEqual(["email", "shippingAddress"]);
    expect(errors.byField.email![0]).toMatch(/email/i);
    expect(errors.general).toEqual([]);
    expect(displayValues(fields, values)).toEqual({ shippingAddress: "", email: "not an email" });
  });

  it("reports every kind's bad input beside its field", () => {
    const all = formFields(everything, everyName);
    const values = parseForm(all, {
      title: "t",
      email: "e",
      quantity: "lots",
      weight: "-1",
      deliverOn: "May",
      createdAt: "2024-05-01T09:30",
      speed: "warp",
      assignee: "ann",
      items: '[{"sku":1,"count":2}]',
    });
    const result = everything.safeParse(values);
    expect(result.success).toBe(false);
    const errors = fieldErrors(issuesOf(result.error!), all);
    expect(Object.keys(errors.byField).sort()).toEqual(["deliverOn", "email", "items", "quantity", "speed", "weight"]);
    expect(errors.byField.items).toEqual([expect.stringMatching(/^0\.sku: /)]);
    expect(displayValues(all, values)).toMatchObject({
      quantity: "lots",
      speed: "warp",
      createdAt: "2024-05-01T09:30",
    });
  });

  it("puts issues of fields the form does not show in general", () => {
    const shipFields = formFields(shipping.state, ["trackingCode"]);
    const result = shipping.state.safeParse(parseForm(shipFields, { trackingCode: "T1" }));
    const errors = fieldErrors(issuesOf(result.error!), shipFields);
    expect(errors.byField).toEqual({});
    expect(errors.general).toEqual([expect.stringMatching(/^shippingAddress: /)]);
    expect(fieldErrors([{ path: [], message: "Bad state" }], shipFields).general).toEqual(["Bad state"]);
  });
});

describe("displayValues", () => {
  it("shows state values as input text, defaults for missing ones", () => {
    const fields = formFields(everything, everyName);
    const shown = displayValues(fields, {
      title: "Mugs",
      quantity: 3,
      pickupAt: "2024-05-01T09:30:00.123456Z",
      createdAt: new Date("2024-05-01T09:30:00Z"),
      priority: 2,
      assignee: null,
      items: [{ sku: "MUG", count: 2 }],
      serial: 5n,
      deliverOn: "2024-05-01",
    });
    expect(shown).toEqual({
      title: "Mugs",
      notes: "",
      remark: "",
      email: "",
      website: "",
      quantity: "3",
      weight: "",
      price: "0",
      gift: "false",
      deliverOn: "2024-05-01",
      pickupAt: "2024-05-01T09:30:00.123",
      createdAt: "2024-05-01T09:30",
      speed: "",
      priority: "2",
      size: "",
      assignee: "",
      items: '[\n  {\n    "sku": "MUG",\n    "count": 2\n  }\n]',
      serial: "5",
    });
    expect(displayValues(fields, { gift: true, pickupAt: "2024-05-01T11:30:00+02:00" })).toMatchObject({
      gift: "true",
      pickupAt: "2024-05-01T09:30",
    });
  });

  it("builds the partial's data with fieldViews", () => {
    const fields = formFields(welcome.state, ["user"]);
    const users = [{ id: "ann", name: "Ann" }];
    expect(fieldViews(fields, { user: "ann" }, { byField: { user: ["Pick one"] }, general: [] }, users)).toEqual([
      { field: fields[0], value: "ann", errors: ["Pick one"], users },
    ]);
    expect(fieldViews(fields, {})).toEqual([{ field: fields[0], value: "", errors: [] }]);
  });
});

describe("workflow/_field.eta", () => {
  const eta = new Eta({ views: fileURLToPath(new URL("../../web/templates", import.meta.url)) });
  const render = (data: {
    field: FormField;
    value?: string;
    errors?: string[];
    users?: { id: string; name: string }[];
  }) => eta.render("workflow/_field", { value: "", errors: [], ...data });
  const fields = formFields(everything, everyName);
  const [address, email] = formFields(shipping.state, ["shippingAddress", "email"]);
  const [user] = formFields(welcome.state, ["user"]);

  it("escapes the value and marks required fields", () => {
    const html = render({ field: address!, value: '<script>alert(1)</script>"' });
    expect(html).toContain('<div class="field field-textarea">');
    expect(html).toContain(
      '<label for="field-shippingAddress">Shipping address <abbr title="required">*</abbr></label>',
    );
    expect(html).toContain(
      '<textarea id="field-shippingAddress" name="shippingAddress" required minlength="1" rows="4">',
    );
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;</textarea>");
    expect(html).not.toContain("<script>");
  });

  it("escapes values in attributes and leaves optional fields unmarked", () => {
    const html = render({ field: email!, value: '"><script>x</script>' });
    expect(html).toContain('type="email" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("required");
  });

  it("points the control at its errors and hint", () => {
    const weight = field(fields, "weight");
    const html = render({ field: weight, value: "-1", errors: ["Too small: <0"] });
    expect(html).toContain('class="field field-number field-invalid"');
    expect(html).toContain('<p class="field-description" id="field-weight-description">Weight in kilograms.');
    expect(html).toContain('<ul class="field-errors" id="field-weight-errors">');
    expect(html).toContain("<li>Too small: &lt;0</li>");
    expect(html).toContain(
      '<input id="field-weight" name="weight" required aria-invalid="true" ' +
        'aria-describedby="field-weight-description field-weight-errors" type="number" value="-1" min="0" step="any">',
    );
    expect(render({ field: weight })).not.toContain("aria-invalid");
  });

  it("gives numbers, dates and text their bounds and input types", () => {
    expect(render({ field: field(fields, "quantity"), value: "3" })).toContain(
      'type="number" value="3" min="1" max="99" step="1"',
    );
    expect(render({ field: field(fields, "title") })).toContain('type="text" maxlength="80"');
    expect(render({ field: field(fields, "deliverOn") })).toContain('type="date"');
    const pickup = render({ field: field(fields, "pickupAt"), value: "2024-05-01T09:30" });
    expect(pickup).toContain('type="datetime-local" value="2024-05-01T09:30" step="any"');
    expect(pickup).toContain('<span class="field-unit">(UTC)</span>');
    expect(render({ field: field(fields, "website") })).toContain('type="url"');
  });

  it("selects the current option and offers an empty one only when it may be empty", () => {
    const speed = render({ field: field(fields, "speed"), value: "express" });
    expect(speed).toContain('<option value="express" selected>express</option>');
    expect(speed).toContain('<option value="standard">standard</option>');
    expect(speed).not.toContain('<option value=""');
    expect(render({ field: field(fields, "speed") })).toContain('<option value="" selected>Choose…</option>');
    const priority = render({ field: field(fields, "priority"), value: "2" });
    expect(priority).toContain('<option value="">(none)</option>');
    expect(priority).toContain('<option value="2" selected>High</option>');
  });

  it('checks a checkbox for "true", without a required mark', () => {
    const gift = field(fields, "gift");
    const checked = render({ field: gift, value: "true" });
    expect(checked).toContain('<input id="field-gift" name="gift" type="checkbox" value="true" checked>');
    expect(checked).toContain('<label for="field-gift">Gift</label>');
    expect(checked).not.toContain("required");
    expect(render({ field: gift, value: "false" })).not.toContain("checked");
  });

  it("renders a user field as a picker of the directory, or as text without one", () => {
    const users = [
      { id: "ann", name: "Ann <Admin>" },
      { id: "bob", name: "Bob" },
    ];
    const picker = render({ field: user!, value: "bob", users });
    expect(picker).toContain('<select id="field-user" name="user">');
    expect(picker).toContain('<option value="">(none)</option>');
    expect(picker).toContain('<option value="ann">Ann &lt;Admin&gt;</option>');
    expect(picker).toContain('<option value="bob" selected>Bob</option>');
    // A user who left the directory stays selected rather than being lost on the next save.
    expect(render({ field: user!, value: "carl", users })).toContain('<option value="carl" selected>carl</option>');
    const text = render({ field: user!, value: "ann" });
    expect(text).toContain('<input id="field-user" name="user" type="text" value="ann" minlength="1">');
    expect(text).not.toContain("<select");
  });

  it("renders other values as escaped JSON in a textarea", () => {
    const items = field(fields, "items");
    const html = render({ field: items, value: '[{"sku":"<b>"}]' });
    expect(html).toContain(
      'rows="8" spellcheck="false" class="json">\n[{&quot;sku&quot;:&quot;&lt;b&gt;&quot;}]</textarea>',
    );
  });

  it("escapes labels and hints from the schema", () => {
    const state = z.object({ note: z.string().describe("<b>Bold</b> claims.") });
    const [note] = formFields(state, ["note"]);
    const html = render({ field: note! });
    expect(html).toContain("&lt;b&gt;Bold&lt;/b&gt; claims.");
    expect(html).not.toContain("<b>");
  });

  it("renders every kind of the everything state", () => {
    const values = displayValues(fields, {});
    for (const view of fieldViews(fields, values, undefined, [{ id: "ann", name: "Ann" }])) {
      const html = eta.render("workflow/_field", view);
      expect(html).toMatch(new RegExp(`^<div class="field field-${view.field.kind}">`));
      expect(html).toContain(`name="${view.field.name}"`);
      expect(html).toContain(`for="field-${view.field.name}"`);
    }
  });
});
