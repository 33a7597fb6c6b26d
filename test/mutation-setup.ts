import fc from "fast-check";

// Under `npm run mutation` a property that fails has killed its mutant: the
// smallest counterexample is of no use there, so fast-check skips shrinking.
fc.configureGlobal({ endOnFailure: true });
