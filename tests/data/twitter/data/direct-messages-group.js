window.YTD.direct_messages_group.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "1555555555555555555",
      "messages" : [
        {
          "participantsJoin" : {
            "initiatingUserId" : "1001",
            "userIds" : [ "4004", "5005" ],
            "createdAt" : "2022-03-07T19:00:00.000Z"
          }
        },
        {
          "messageCreate" : {
            "reactions" : [ ],
            "urls" : [ ],
            "text" : "Introducing you two, as promised!",
            "mediaUrls" : [ ],
            "senderId" : "1001",
            "id" : "910000000000000001",
            "createdAt" : "2022-03-07T19:01:00.000Z"
          }
        },
        {
          "messageCreate" : {
            "reactions" : [ ],
            "urls" : [ ],
            "text" : "Thank you Mia! Hi Taro 👋",
            "mediaUrls" : [ ],
            "senderId" : "4004",
            "id" : "910000000000000002",
            "createdAt" : "2022-03-07T19:05:00.000Z"
          }
        }
      ]
    }
  }
]
