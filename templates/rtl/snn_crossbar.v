// snn_crossbar: a permutation network between N ports and N banks: output i carries input
// sel[i] (combinational). The junctions use it to let lanes read any bank, and to route
// each bank's δ sum from the lane that computed it.
`default_nettype none
module snn_crossbar #(
    parameter N     = 4,
    parameter WIDTH = 8,
    parameter SEL_W = 2
) (
    input  wire [N*WIDTH-1:0] in,
    input  wire [N*SEL_W-1:0] sel,
    output wire [N*WIDTH-1:0] out
);
    genvar i;
    generate
        for (i = 0; i < N; i = i + 1) begin : port
            wire [SEL_W-1:0] s = sel[SEL_W*i +: SEL_W];
            assign out[WIDTH*i +: WIDTH] = in[WIDTH*s +: WIDTH];
        end
    endgenerate
endmodule
`default_nettype wire
