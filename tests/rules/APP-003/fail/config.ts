export const config = {
  apiSecret: "q7W!x2Rv9Lm4Tz8K",
};