export async function keep(token) {
  await AsyncStorage.setItem('authToken', token);
}