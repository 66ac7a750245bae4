/**
 * Forms from the state schema: descriptors (`formFields`), reading a POST (`parseForm`), and
 * the way back to inputs and errors (`displayValues`, `fieldErrors`, `fieldViews`), rendered one
 * field at a time by `workflow/_field.eta`.
 */
export { formBody } from "./body.ts";
export { formFields } from "./fields.ts";
export type {
  CheckboxField,
  DateField,
  DateTimeField,
  FieldCommon,
  FieldKind,
  FormField,
  JsonField,
  NumberField,
  SelectField,
  SelectOption,
  TextField,
} from "./field-types.ts";
export { humanize } from "./labels.ts";
export { parseForm } from "./parse.ts";
export type { FormBody } from "./parse.ts";
export { displayValues, fieldErrors } from "./values.ts";
export type { FieldErrors } from "./values.ts";
export { fieldViews, formView } from "./view.ts";
export type { FieldView } from "./view.ts";
export { readOnlyViews } from "./readonly.ts";
export type { ReadOnlyView } from "./readonly.ts";
