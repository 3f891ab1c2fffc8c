window.YTD.following.part0 = [
  {
    "following" : {
      "accountId" : "2002",
      "userLink" : "https://twitter.com/intent/user?user_id=2002"
    }
  },
  {
    "following" : {
      "accountId" : "3003",
      "userLink" : "https://twitter.com/intent/user?user_id=3003"
    }
  }
]
