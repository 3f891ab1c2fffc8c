window.YTD.follower.part0 = [
  {
    "follower" : {
      "accountId" : "2002",
      "userLink" : "https://twitter.com/intent/user?user_id=2002"
    }
  },
  {
    "follower" : {
      "accountId" : "6006",
      "userLink" : "https://twitter.com/intent/user?user_id=6006"
    }
  },
  {
    "follower" : {
      "accountId" : "7007",
      "userLink" : "https://twitter.com/intent/user?user_id=7007"
    }
  }
]
