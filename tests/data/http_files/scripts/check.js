client.test("status", () => client.assert(response.status === 200));
