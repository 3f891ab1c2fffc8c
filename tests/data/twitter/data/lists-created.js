window.YTD.lists_created.part0 = [
  {
    "userListInfo" : {
      "url" : "https://twitter.com/miaokafor/lists/1400000000000000000"
    }
  }
]
