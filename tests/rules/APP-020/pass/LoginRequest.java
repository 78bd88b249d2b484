class LoginRequest {
    JSONObject body(String user, String password) throws JSONException {
        JSONObject body = new JSONObject();
        body.put("account", user);
        body.put("password", password);
        return body;
    }
}
