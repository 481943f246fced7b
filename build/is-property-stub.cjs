// is-property stand-in for the Lambda bundles: generate-function (mysql2's row parsers) asks whether a column name
// can be written as `row.name`; the original answers with a 10 KB Unicode regex. ASCII identifiers only here:
// anything else gets the always-correct `row["name"]` form.
module.exports = (name) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
