const hook = "xoxb-2741938475-4819203847-Qm9tZ2VyVGVzdFRva2VuMTI";
export default hook;