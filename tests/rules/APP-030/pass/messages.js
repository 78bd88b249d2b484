console.warn("stored OAuth tokens have no issuer property; please sign in again");
console.log("password policy updated", policyVersion);
